"""`make bench`: FastMCP's echo tool over Streamable HTTP, the comparison for /mcp.

Usage: python fastmcp_echo.py PORT  (listens on 127.0.0.1:PORT/mcp)
"""

import sys

from fastmcp import FastMCP

mcp = FastMCP("echo")


@mcp.tool
def echo(text: str) -> str:
    """Returns the text it was given."""
    return text


if __name__ == "__main__":
    mcp.run(transport="http", host="127.0.0.1", port=int(sys.argv[1]), path="/mcp", log_level="warning")
