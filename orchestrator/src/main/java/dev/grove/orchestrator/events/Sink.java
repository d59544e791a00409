package dev.grove.orchestrator.events;

/**
 * Told that a {@link Subscription} has events again after a {@link Subscription#poll} came back
 * empty. It is called on a publisher's thread, at most once per empty poll, and must not block: a
 * transport hops to its own thread (for vert.x, {@code context.runOnContext}) and polls there.
 */
@FunctionalInterface
public interface Sink {
  void eventsAvailable();
}
