from xlplan.cli import main

raise SystemExit(main())
