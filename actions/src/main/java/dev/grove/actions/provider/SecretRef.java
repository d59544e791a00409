package dev.grove.actions.provider;

/** A secret the kubernetes provider names in {@code imagePullSecrets} or {@code copySecrets}. */
public record SecretRef(String name, String namespace) {}
