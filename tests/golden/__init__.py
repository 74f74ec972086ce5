"""Golden files of the printed report and how they are made (see update.py)."""
