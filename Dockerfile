FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 XUEFA_ENV=production
WORKDIR /app
COPY pyproject.toml constraints.txt ./
COPY config ./config
COPY audit ./audit
COPY notifications ./notifications
COPY training ./training
COPY quizzes ./quizzes
COPY portal ./portal
COPY locale ./locale
COPY manage.py ./
RUN pip install --no-cache-dir -c constraints.txt . \
 && SECRET_KEY=build-only-build-only-build-only-build-only-build-only ALLOWED_HOSTS=build DEMO_PASSWORD=unused \
    python manage.py collectstatic --noinput
RUN useradd --system xuefa && mkdir -p /app/var && chown xuefa /app/var
USER xuefa
EXPOSE 8000
