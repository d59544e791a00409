package dev.grove.api.cleanup;

import java.util.List;

/**
 * What {@code cleanup images} deletes (dry run) or deleted, per image.
 *
 * @param dryRun whether anything was deleted
 */
public record CleanupImagesResult(boolean dryRun, List<ImageCleanupInfo> images) {

  public CleanupImagesResult {
    images = images == null ? List.of() : List.copyOf(images);
  }

  /**
   * One image repository.
   *
   * @param builds the Builds that push to it
   * @param image {@code host/repository}
   * @param delete the version tags deleted (or to delete), newest first
   * @param keep the version tags that stay, newest first
   * @param notes why some old tags stay
   */
  public record ImageCleanupInfo(
      List<String> builds,
      String image,
      List<String> delete,
      List<String> keep,
      List<String> notes) {
    public ImageCleanupInfo {
      builds = builds == null ? List.of() : List.copyOf(builds);
      delete = delete == null ? List.of() : List.copyOf(delete);
      keep = keep == null ? List.of() : List.copyOf(keep);
      notes = notes == null ? List.of() : List.copyOf(notes);
    }
  }
}
