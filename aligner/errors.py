"""Errors the user can act on. The CLI prints their message as one line, never a traceback."""


class AlignerError(Exception):
    """Base class for problems caused by the input or the environment, not by a bug."""


class InputError(AlignerError):
    """The input file cannot be used (missing, not a PDF, encrypted, empty, no text layer)."""


class OutputExistsError(AlignerError):
    """An output file already exists and --force was not given."""
