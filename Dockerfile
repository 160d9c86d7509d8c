# The portal's image: one image for web (gunicorn), the Celery worker and Celery beat.
# Built and run by docker-compose.yml; see README.md, "Running the real stack".
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

# WeasyPrint's native libraries (Pango, HarfBuzz subsetting) and a font for the documents.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 1000 ocp \
    && useradd --system --uid 1000 --gid ocp --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin ocp

WORKDIR /app

# Dependencies first, from pyproject.toml alone, so that a code change keeps this layer.
# (pyproject.toml declares no package: `pip install .` installs the dependencies; the code
# runs from /app, which PYTHONPATH puts on the path.)
COPY pyproject.toml ./
RUN pip install . && rm -rf build *.egg-info

COPY . .

# Hashed, compressed static files served by WhiteNoise (STATIC_MANIFEST=1 at run time too).
# The throwaway SECRET_KEY keeps settings from writing a key file into the image.
# The code stays root-owned and read-only for the app user; var/ (beat's schedule) and
# /data/media (MEDIA_ROOT, a volume in docker-compose.yml) are the only writable places.
RUN SECRET_KEY=collectstatic-only-not-a-secret STATIC_MANIFEST=1 \
        python manage.py collectstatic --no-input \
    && rm -rf var && mkdir -p var /data/media \
    && chown ocp:ocp var /data/media

USER ocp

EXPOSE 8000

# Workers: gunicorn reads WEB_CONCURRENCY (default 1).
CMD ["gunicorn", "ocp_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
