package dev.grove.api.render;

import dev.grove.api.project.ProjectRequest;
import java.util.List;

/**
 * {@code grove render}: what the named Deploys (all enabled ones when none) would apply.
 *
 * @param names Deploy names
 */
public record RenderRequest(ProjectRequest project, List<String> names) {
  public RenderRequest {
    names = names == null ? List.of() : List.copyOf(names);
  }
}
