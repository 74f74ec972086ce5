"""The pure core: no Excel objects, no clock reads, no file I/O.

Everything here takes plain values (strings, numbers, dates, dataclasses) and returns
plain values, so the same functions serve the CLI, the ribbon and the server.
"""
