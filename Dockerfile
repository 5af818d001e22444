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
# The build is not production (production refuses to start without its real settings, which
# come from the environment at run time): compile the translations and collect the hashed,
# compressed static files production serves (STATIC_MANIFEST) under development settings.
RUN DJANGO_ENV=development STATIC_MANIFEST=true \
    sh -c 'python manage.py compilemessages --ignore=node_modules -v 0 && python manage.py collectstatic --no-input -v 0' \
 && mkdir -p /app/media && chown -R minside:minside /app/media
USER minside
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s CMD curl -fsS http://127.0.0.1:8000/healthz/ || exit 1
ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["web"]
