package dev.grove.api.cleanup;

/**
 * @param namespace the app namespace
 * @param context the kubeconfig context
 * @param kubeconfig the kubeconfig file
 * @param exists whether the namespace existed
 * @param deleted whether it was deleted (false on a dry run)
 */
public record CleanupNamespaceResult(
    String namespace, String context, String kubeconfig, boolean exists, boolean deleted) {}
