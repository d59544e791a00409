package dev.grove.orchestrator.logs;

/**
 * One container's log in one cluster: what the {@link LogHub} reads once for every subscriber.
 *
 * @param cluster the cluster's identity (kubeconfig and context)
 */
public record LogSource(String cluster, String namespace, String pod, String container) {}
