"""One module per render backend, each defining ``BACKEND`` (see ``installation.render.base``)."""
