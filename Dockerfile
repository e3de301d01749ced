# syntax=docker/dockerfile:1
# Two images from one build: `docker build --target operator .` and `docker build --target connector .`
# (`make image` builds both). Both are trimmed, self-contained, ReadyToRun linux-x64 apps on the runtime-deps
# base: no SDK, no shared runtime, no shell. Native AOT is not used: the publish below is what is tested.

ARG DOTNET_VERSION=10.0
# Keep in step with PUBLISH_FLAGS in the Makefile (a packaging test compares them). Declared before the first
# FROM so every stage can import it with a bare `ARG PUBLISH_FLAGS`: an ARG does not pass from stage to stage.
ARG PUBLISH_FLAGS="-c Release -r linux-x64 --self-contained -p:PublishTrimmed=true -p:PublishReadyToRun=true"

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
WORKDIR /src
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Restore first, from the project files alone, so source edits reuse the restored layer. The publish
# properties go to restore too: they decide which runtime, trimmer and crossgen packs are fetched.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ConnectorOperator/ConnectorOperator.csproj src/ConnectorOperator/
COPY src/ConnectorOperator.Connector/ConnectorOperator.Connector.csproj src/ConnectorOperator.Connector/
COPY src/ConnectorOperator.Contracts/ConnectorOperator.Contracts.csproj src/ConnectorOperator.Contracts/
COPY src/ConnectorOperator.Kubernetes/ConnectorOperator.Kubernetes.csproj src/ConnectorOperator.Kubernetes/
RUN dotnet restore src/ConnectorOperator/ConnectorOperator.csproj -r linux-x64 -p:PublishTrimmed=true -p:PublishReadyToRun=true \
 && dotnet restore src/ConnectorOperator.Connector/ConnectorOperator.Connector.csproj -r linux-x64 -p:PublishTrimmed=true -p:PublishReadyToRun=true
COPY src/ src/

FROM build AS publish-operator
ARG PUBLISH_FLAGS
RUN dotnet publish src/ConnectorOperator/ConnectorOperator.csproj ${PUBLISH_FLAGS} --no-restore -o /out

FROM build AS publish-connector
ARG PUBLISH_FLAGS
RUN dotnet publish src/ConnectorOperator.Connector/ConnectorOperator.Connector.csproj ${PUBLISH_FLAGS} --no-restore -o /out

# The runtime-deps base sets ASPNETCORE_HTTP_PORTS=8080; both programs choose their own listen address, so it is
# cleared to keep Kestrel from reporting an override. The app files stay root-owned (the app cannot change
# them); UID/GID 65532 needs no passwd entry. Nothing is written outside /tmp, so the root filesystem can be
# mounted read-only (mount an emptyDir on /tmp).
FROM mcr.microsoft.com/dotnet/runtime-deps:${DOTNET_VERSION}-noble-chiseled AS connector
WORKDIR /app
ENV ASPNETCORE_HTTP_PORTS= DOTNET_gcServer=0
COPY --from=publish-connector /out/ /app/
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/app/connector"]

FROM mcr.microsoft.com/dotnet/runtime-deps:${DOTNET_VERSION}-noble-chiseled AS operator
WORKDIR /app
ENV ASPNETCORE_HTTP_PORTS= DOTNET_gcServer=0
COPY --from=publish-operator /out/ /app/
USER 65532:65532
EXPOSE 8081
ENTRYPOINT ["/app/connector-operator"]
CMD ["run"]
