"""Read by gunicorn from its working directory (the image's /app, the benchmark's checkout)."""


def post_worker_init(worker):
    """Each worker loads WeasyPrint and the seal before its first request: the first user to
    download a QR-bill or a receipt does not wait for them."""
    from ocp_portal.pdf import warm_up

    warm_up()
