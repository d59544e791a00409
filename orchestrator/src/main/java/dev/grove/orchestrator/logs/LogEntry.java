package dev.grove.orchestrator.logs;

import dev.grove.actions.spi.LogSource;
import java.time.Instant;

/**
 * A line of a container's log as the kubelet stamped it.
 *
 * @param text the line without its break
 */
public record LogEntry(LogSource source, Instant time, String text) {}
