# Min Side: one image for web, worker and beat (docker/entrypoint.sh picks the role).

# --- Stage 1: front-end assets from npm (Designsystemet CSS, Inter font) ----------------------
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --omit=dev
COPY scripts/build-assets.sh scripts/
RUN sh scripts/build-assets.sh

# --- Stage 2: Python runtime ------------------------------------------------------------------
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 DJANGO_ENV=production
# WeasyPrint needs Pango and fonts; gettext compiles the translations; poppler-utils (pdftoppm,
# pdfinfo) lets the archive recognise PDF/A and rasterise other PDFs onto PDF/A pages.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b \
    fonts-dejavu-core gettext curl poppler-utils \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 10001 minside
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
COPY --from=assets /app/static/vendor static/vendor
# Build-time only values so production settings load for compilemessages/collectstatic;
# the real ones come from the environment at run time.
RUN SECRET_KEY=build-only-build-only-build-only-build-only-build-only \
    ALLOWED_HOSTS=build DATABASE_URL=postgres://build@localhost/build REDIS_URL=redis://localhost:6379/0 \
    sh -c 'python manage.py compilemessages --ignore=node_modules -v 0 && python manage.py collectstatic --no-input -v 0' \
 && mkdir -p /app/media && chown -R minside:minside /app/media
USER minside
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s CMD curl -fsS http://127.0.0.1:8000/healthz/ || exit 1
ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["web"]
