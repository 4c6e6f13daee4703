"""mockapi: an OpenAI API mock server and contract-testing harness.

Importing the package is cheap: it starts nothing and imports no web framework.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
