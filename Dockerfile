# Image for the api, worker and migrate services of docker-compose.yml (GPU torch from PyPI).
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml ./
RUN pip install --no-cache-dir torch transformers peft safetensors "fastapi>=0.115" "uvicorn[standard]" \
    "celery[redis]>=5.5" "sqlmodel>=0.0.22" "alembic>=1.13" "pydantic-settings>=2.4" "psycopg[binary]>=3.2" \
    "httpx>=0.27" "fsspec>=2024.6" s3fs prometheus-client "python-json-logger>=3.1"
COPY . .
