package dev.grove.actions.spi;

import dev.grove.api.action.ActionRef;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Everything a handler gets to run one operation of one action.
 *
 * @param spec the action's spec, templates resolved (runtime outputs of dependencies included)
 * @param sourceDir the action's source folder (for a Deploy with {@code build}, the Build's)
 * @param projectRoot the project root
 * @param env the invoking CLI's environment: the base of every process's environment
 * @param timeout the action's timeout
 */
public record ActionContext(
    ActionRef ref,
    String type,
    String version,
    Map<String, Object> spec,
    Path sourceDir,
    Path projectRoot,
    Map<String, String> env,
    Duration timeout,
    LogSink log,
    Cancellation cancellation) {}
