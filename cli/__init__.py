"""refconv's command-line interface (a thin Typer layer over refconv.converters)."""

__version__ = "0.1.0"
