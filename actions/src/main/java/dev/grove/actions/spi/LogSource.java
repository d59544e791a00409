package dev.grove.actions.spi;

/**
 * One container's log in one cluster: what the daemon's log hub reads once for every subscriber.
 *
 * @param cluster the cluster's identity (kubeconfig and context)
 */
public record LogSource(String cluster, String namespace, String pod, String container) {}
