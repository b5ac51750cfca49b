"""refconv's command-line interface (a thin Typer layer over refconv.converters)."""
