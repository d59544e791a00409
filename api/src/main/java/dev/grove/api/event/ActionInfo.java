package dev.grove.api.event;

/**
 * The action an event is about: {@code {ref: "deploy.api", kind: "Deploy", name: "api", version}}.
 */
public record ActionInfo(String ref, String kind, String name, String version) {}
