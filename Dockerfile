# The scn-graph API as an image; docker-compose.yml runs it beside Neo4j 5.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY graph ./graph
COPY ingest ./ingest
COPY api ./api
COPY viz ./viz
COPY cli ./cli
RUN pip install --no-cache-dir . && useradd --create-home scn
USER scn
ENV SCN_GRAPH_HOME=/home/scn/data
EXPOSE 8000
CMD ["scn-graph", "serve", "--host", "0.0.0.0", "--port", "8000"]
