package dev.grove.orchestrator.solver;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The actions being run right now, daemon-wide: a second run that needs the same action at the same
 * version joins the first one's result instead of running it again.
 */
final class InFlight {
  /** The run that owns an in-flight action, and the outcome it will have. */
  record Owner(String runId, CompletableFuture<Outcome> outcome) {}

  private final Map<String, Owner> running = new ConcurrentHashMap<>();

  /** Claims the key for {@code runId}; returns the existing owner when another run has it. */
  Owner claim(String key, String runId) {
    Owner mine = new Owner(runId, new CompletableFuture<>());
    Owner existing = running.putIfAbsent(key, mine);
    return existing == null ? mine : existing;
  }

  void release(String key, Owner owner, Outcome outcome) {
    running.remove(key, owner);
    owner.outcome().complete(outcome);
  }
}
