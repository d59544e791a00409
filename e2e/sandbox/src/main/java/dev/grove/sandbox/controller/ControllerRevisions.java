package dev.grove.sandbox.controller;

import dev.grove.sandbox.cluster.ClusterState;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ControllerRevisions the statefulset and daemonset controllers keep, one per pod template they
 * ran: {@code <owner>-<template hash>}, owned by the workload, labelled with the template's labels
 * and {@code controller-revision-hash: <template hash>}, numbered up by {@code revision}. The
 * current template's revision is the newest: a template used before gets the next number again, as
 * on a rollback. Clients tell a DaemonSet's current pods by it ({@code kubectl rollout history},
 * rollout watchers), since a DaemonSet's status names no revision.
 */
public final class ControllerRevisions {

  public static final String HASH_LABEL = "controller-revision-hash";

  private final KubernetesClient client;

  ControllerRevisions(KubernetesClient client) {
    this.client = client;
  }

  /** The name of {@code owner}'s revision of the template with {@code hash}. */
  public static String name(HasMetadata owner, String hash) {
    return owner.getMetadata().getName() + "-" + hash;
  }

  /** Makes (or renumbers) the revision of {@code template}; its name, {@code <owner>-<hash>}. */
  String ensure(ClusterState state, HasMetadata owner, PodTemplateSpec template, String hash) {
    List<ControllerRevision> owned = ClusterState.ownedBy(state.controllerRevisions(), owner);
    String name = name(owner, hash);
    long newest = owned.stream().mapToLong(ControllerRevisions::revision).max().orElse(0);
    ControllerRevision current =
        owned.stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst().orElse(null);
    String namespace = owner.getMetadata().getNamespace();
    if (current == null) {
      Map<String, String> labels = new LinkedHashMap<>();
      if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
        labels.putAll(template.getMetadata().getLabels());
      }
      labels.put(HASH_LABEL, hash);
      client
          .apps()
          .controllerRevisions()
          .inNamespace(namespace)
          .resource(
              new ControllerRevisionBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withNamespace(namespace)
                  .withLabels(labels)
                  .withOwnerReferences(ClusterState.controllerReference(owner))
                  .endMetadata()
                  .withRevision(newest + 1)
                  .withData(Map.of("spec", Map.of("template", template)))
                  .build())
          .create();
    } else if (revision(current) < newest) {
      client
          .apps()
          .controllerRevisions()
          .inNamespace(namespace)
          .withName(name)
          .edit(
              live -> {
                live.setRevision(newest + 1);
                return live;
              });
    }
    return name;
  }

  private static long revision(ControllerRevision revision) {
    return revision.getRevision() == null ? 0 : revision.getRevision();
  }
}
