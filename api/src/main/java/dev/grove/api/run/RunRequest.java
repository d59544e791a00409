package dev.grove.api.run;

import dev.grove.api.project.ProjectRequest;
import java.util.List;
import java.util.Map;

/**
 * Starts a run: {@code build}, {@code deploy}, {@code status} or {@code publish} of the named
 * actions (all of that kind when none is named) of the project the {@code project} request names.
 *
 * @param names action names of the command's kind (Garden style: {@code deploy api} means {@code
 *     deploy.api})
 * @param force process the named actions even when their status is ready (not their dependencies),
 *     like Garden's {@code --force}
 * @param skipDependencies do not process Deploy/Run/Test dependencies (Builds still run)
 * @param withDependants also process what depends on the named actions
 * @param concurrency limits for this run ({@code build}, {@code deploy}, {@code run}, {@code test},
 *     {@code overall}), over the project's and the daemon's
 * @param publishTag for {@code publish}: the tag to publish under instead of the {@code
 *     publishId}'s own tag or the version; null for those
 * @param keepPods for {@code test} and {@code run}: leave the pods of in-cluster Tests and Runs in
 *     the cluster afterwards, for inspection (Grove's {@code --keep-pod}; Garden has none)
 */
public record RunRequest(
    ProjectRequest project,
    String command,
    List<String> names,
    boolean force,
    boolean skipDependencies,
    boolean withDependants,
    Map<String, Integer> concurrency,
    String publishTag,
    boolean keepPods) {

  public RunRequest {
    names = names == null ? List.of() : List.copyOf(names);
    concurrency = concurrency == null ? Map.of() : Map.copyOf(concurrency);
  }

  public RunRequest(
      ProjectRequest project,
      String command,
      List<String> names,
      boolean force,
      boolean skipDependencies,
      boolean withDependants,
      Map<String, Integer> concurrency,
      String publishTag) {
    this(
        project,
        command,
        names,
        force,
        skipDependencies,
        withDependants,
        concurrency,
        publishTag,
        false);
  }

  public RunRequest(
      ProjectRequest project,
      String command,
      List<String> names,
      boolean force,
      boolean skipDependencies,
      boolean withDependants,
      Map<String, Integer> concurrency) {
    this(project, command, names, force, skipDependencies, withDependants, concurrency, null);
  }

  public RunRequest(
      ProjectRequest project,
      String command,
      List<String> names,
      boolean force,
      boolean skipDependencies,
      boolean withDependants) {
    this(project, command, names, force, skipDependencies, withDependants, Map.of(), null);
  }
}
