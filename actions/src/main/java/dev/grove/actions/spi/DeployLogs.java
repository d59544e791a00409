package dev.grove.actions.spi;

/**
 * The logs capability of a Deploy handler ({@code grove logs}): its processes log somewhere the
 * daemon can read. Kubernetes Deploys say where their pods are ({@code kube.Workloads}).
 */
public interface DeployLogs {}
