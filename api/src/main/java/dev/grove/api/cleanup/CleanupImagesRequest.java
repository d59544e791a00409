package dev.grove.api.cleanup;

import dev.grove.api.project.ProjectRequest;
import java.util.List;
import java.util.Map;

/**
 * {@code grove cleanup images}: keep the newest {@code keep} version tags of the images of the
 * project's container Builds (all, or the named ones) and delete the rest.
 *
 * @param names Build names; empty for all container Builds
 * @param keep how many of the newest version tags each image keeps (the current version always
 *     stays)
 * @param dryRun list what would be deleted, delete nothing
 * @param confirmed for a real run: per image ({@code host/repository}), the tags the user saw
 *     listed and confirmed; only those are deleted
 */
public record CleanupImagesRequest(
    ProjectRequest project,
    List<String> names,
    int keep,
    boolean dryRun,
    Map<String, List<String>> confirmed) {

  public CleanupImagesRequest {
    names = names == null ? List.of() : List.copyOf(names);
    confirmed = confirmed == null ? Map.of() : Map.copyOf(confirmed);
  }
}
