"""Draft pairs from the bundled samples, and how well findings are matched across them."""
