using ConnectorOperator.Api;
using ConnectorOperator.Controllers;
using ConnectorOperator.Kubernetes.Client;
using ConnectorOperator.Kubernetes.Config;
using ConnectorOperator.Kubernetes.Models;
using ConnectorOperator.Kubernetes.Runtime;
using ConnectorOperator.Kubernetes.Serialization;
using ConnectorOperator.Observability;
using ConnectorOperator.Reconciliation;
using ConnectorOperator.Validation;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace ConnectorOperator.Hosting;

/// <summary>
/// Composes the operator: cluster connection, client, informers, reconciler, controller, leader election and the
/// health endpoints. Configuration comes from appsettings.json, CONNECTOROPERATOR_* environment variables and the
/// command line (e.g. --Operator:DefaultImage=...).
/// </summary>
public static class OperatorApp
{
    public static WebApplication Build(string[] args, ClusterConnection? connection = null, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Configuration.AddEnvironmentVariables("CONNECTOROPERATOR_");
        OperatorTelemetry.AddConsoleLogs(builder.Logging, builder.Configuration);

        var config = builder.Configuration;
        var settings = config.GetSection("Operator").Get<OperatorSettings>() ?? new OperatorSettings();
        var host = config.GetSection("Host").Get<OperatorOptions>() ?? new OperatorOptions();
        var clientOptions = config.GetSection("Kubernetes:Client").Get<KubernetesClientOptions>() ?? new KubernetesClientOptions();
        var controllerOptions = config.GetSection("Controller").Get<ControllerOptions>() ?? new ControllerOptions();
        builder.WebHost.UseUrls(host.HealthAddress);

        connection ??= ClusterConnectionDiscovery.Discover(config.GetSection(ConnectionOptions.SectionName).Get<ConnectionOptions>());
        var services = builder.Services;
        services.AddSingleton(settings);
        services.AddSingleton(host);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(connection);
        services.AddSingleton(_ => OperatorTelemetry.CreateMetrics());
        OperatorTelemetry.AddTracing(services, config);
        OperatorTelemetry.AddMetricsCompression(services);
        services.AddSingleton(sp => KubernetesClientFactory.Create(connection, clientOptions,
            Kubernetes.Serialization.KubernetesJson.CreateOptions(AgentConnectorJsonContext.Default), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<OperatorMetrics>()));
        services.AddSingleton(sp => CreateCaches(sp.GetRequiredService<KubernetesClient>(), settings, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<OperatorMetrics>()));
        services.AddSingleton(_ => new HttpClient { Timeout = Timeout.InfiniteTimeSpan });
        services.AddSingleton(sp => new ConnectorStatusPoller(sp.GetRequiredService<HttpClient>(), sp.GetRequiredService<OperatorCaches>().Pods, settings,
            sp.GetRequiredService<OperatorMetrics>(), sp.GetRequiredService<ILogger<ConnectorStatusPoller>>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<CredentialsInspector>();
        services.AddSingleton(sp => new CacheExpectations(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new EventRecorder(sp.GetRequiredService<KubernetesClient>(), config.GetSection("Events").Get<EventRecorderOptions>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<EventRecorder>>()));
        services.AddSingleton<IEventRecorder>(sp => sp.GetRequiredService<EventRecorder>());
        services.AddSingleton<AgentConnectorReconciler>();
        services.AddSingleton(sp => CreateController(sp.GetRequiredService<OperatorCaches>(), sp.GetRequiredService<AgentConnectorReconciler>(),
            controllerOptions, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<OperatorMetrics>()));
        if (host.LeaderElection)
        {
            // Timings (LeaseDuration, RenewDeadline, RetryPeriod, ReleaseOnCancel) from "LeaderElection"; the lease's name from Host.
            var election = config.GetSection("LeaderElection").Get<LeaderElectionOptions>() ?? new LeaderElectionOptions();
            election.LeaseName = host.LeaseName;
            election.LeaseNamespace = host.LeaseNamespace ?? connection.DefaultNamespace ?? "default";
            services.AddSingleton(sp => new LeaderElector(sp.GetRequiredService<KubernetesClient>(), election,
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<LeaderElector>>()));
        }
        services.AddSingleton(sp => new OperatorService(sp.GetRequiredService<OperatorCaches>(), sp.GetRequiredService<Controller<AgentConnector>>(),
            sp.GetRequiredService<ConnectorStatusPoller>(), sp.GetService<LeaderElector>(), sp.GetRequiredService<OperatorMetrics>(), sp.GetRequiredService<ILogger<OperatorService>>()));
        services.AddHostedService(sp => sp.GetRequiredService<OperatorService>());
        configureServices?.Invoke(services);

        var app = builder.Build();
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", (OperatorService op) => op.CachesSynced ? Results.Text("ok") : Results.Text("caches not synced", statusCode: 503));
        OperatorTelemetry.MapMetricsEndpoint(app, app.Services.GetRequiredService<OperatorMetrics>());
        app.Logger.LogInformation("Connecting to {Server} ({Source})", connection.Server, connection.Source);
        return app;
    }

    /// <summary>Where a started operator serves /metrics (the bound health address; a wildcard shown as loopback).</summary>
    public static Uri MetricsUrl(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? app.Urls.First();
        var local = bound.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal)
            .Replace("+", "127.0.0.1", StringComparison.Ordinal).Replace("*", "127.0.0.1", StringComparison.Ordinal);
        return new Uri(new Uri(local.TrimEnd('/') + "/"), "metrics");
    }

    public static OperatorCaches CreateCaches(KubernetesClient client, OperatorSettings settings, TimeProvider time, ILoggerFactory loggers, OperatorMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(loggers);
        var namespaces = settings.Namespaces;
        var all = new WatcherOptions { Metrics = metrics };
        var connectors = new Informer<AgentConnector>(client, AgentConnector.Resource, all, time, loggers.CreateLogger("Watcher.AgentConnector"), namespaces,
            CacheTransforms.WithoutManagedFields);
        ConnectorIndexes.AddTo(connectors.Store);
        // Only pods and budgets we manage, and of each only what the operator reads: the caches stay small on a busy cluster.
        var managed = all with { LabelSelector = $"{ConnectorLabels.ManagedBy}={ConnectorLabels.ManagedByValue}" };
        var pods = new Informer<V1Pod>(client, ResourceType.Pod, managed, time, loggers.CreateLogger("Watcher.Pod"), namespaces, ConnectorPodCache.Lean);
        pods.Store.AddIndex(StoreIndexes.ControllerUid, StoreIndexes.ByControllerUid);
        var secrets = new Informer<PartialObjectMetadata>(client, ResourceType.Secret, all, time, loggers.CreateLogger("Watcher.Secret"), namespaces,
            CacheTransforms.WithoutManagedFields);
        var budgets = new Informer<V1PodDisruptionBudget>(client, ResourceType.PodDisruptionBudget, managed, time, loggers.CreateLogger("Watcher.PodDisruptionBudget"), namespaces,
            CacheTransforms.WithoutManagedFields);
        var caches = new OperatorCaches(connectors, pods, secrets, budgets);
        if (metrics is not null) metrics.Caches = caches;
        return caches;
    }

    public static Controller<AgentConnector> CreateController(OperatorCaches caches, IReconciler<AgentConnector> reconciler, ControllerOptions options,
        TimeProvider time, ILoggerFactory loggers, OperatorMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(caches);
        ArgumentNullException.ThrowIfNull(loggers);
        var controller = new Controller<AgentConnector>(caches.Connectors, reconciler, options, time, loggers.CreateLogger("Controller.AgentConnector"),
            metrics, metrics)
            .Owns(caches.Pods)
            .Owns(caches.Budgets)
            // A Secret's content is part of the revision: any change wakes the connectors that read it (an index lookup).
            .Watches(caches.Secrets, secret => ConnectorIndexes.UsingSecret(caches.Connectors.Store, secret.Metadata.NamespaceProperty, secret.Metadata.Name ?? ""));
        // Agent users are claimed across resources: a change to one connector can free or take another's users.
        return controller.Watches(caches.Connectors, changed => ConnectorIndexes.SharingAgentUsers(caches.Connectors.Store, changed).Select(ObjectKey.Of));
    }
}
