package dev.grove.actions.registry.cleanup;

import dev.grove.actions.registry.PushLog;
import dev.grove.actions.registry.RegistryAuth;
import dev.grove.actions.registry.RegistryCredentials;
import dev.grove.actions.registry.RegistryStatus;
import dev.grove.actions.registry.artifact.ArtifactAdmins;
import dev.grove.actions.registry.artifact.ArtifactRegistryAdmin;
import dev.grove.actions.registry.artifact.ArtifactRegistryImage;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@code grove cleanup images}: deletes all but the newest N Grove version tags ({@code v-…}) of an
 * image. Artifact Registry orders tags by their versions' update times and deletes through its API;
 * other registries order by this project's push log, then by the image's creation time, and delete
 * manifests through the registry API (where the registry allows it). Tags that are not Grove
 * versions ({@code latest}, releases) are never touched, and the current version of each Build is
 * always kept.
 */
public final class ImageCleanup {

  /**
   * One image repository to clean.
   *
   * @param host the registry host, with a port when it has one
   * @param repository the repository path, e.g. {@code shop/api}
   * @param insecure plain http
   * @param current the versions to keep whatever their age (the Build's current version)
   * @param projectRoot where the push log is
   * @param env the invoking shell's environment, for credentials
   */
  public record Target(
      String host,
      String repository,
      boolean insecure,
      Set<String> current,
      Path projectRoot,
      Map<String, String> env) {
    public Target {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(repository, "repository");
      current = Set.copyOf(current);
      env = Map.copyOf(env);
    }

    public String image() {
      return host + "/" + repository;
    }
  }

  /**
   * What cleanup does (or did) to one image: the version tags deleted, kept (newest first), and why
   * some were left alone.
   */
  public record Result(String image, List<String> delete, List<String> keep, List<String> notes) {
    public Result {
      delete = List.copyOf(delete);
      keep = List.copyOf(keep);
      notes = List.copyOf(notes);
    }
  }

  private final RegistryCredentials credentials;
  private final RegistryStatus registry;
  private final ArtifactAdmins artifactAdmins;

  public ImageCleanup(
      RegistryCredentials credentials, RegistryStatus registry, ArtifactAdmins artifactAdmins) {
    this.credentials = credentials;
    this.registry = registry;
    this.artifactAdmins = artifactAdmins;
  }

  /** What {@link #delete} would delete, deleting nothing. */
  public Result plan(Target target, int keep) throws ActionException {
    return run(target, keep, null, true);
  }

  /**
   * Deletes the version tags that {@link #plan} lists now and {@code confirmed} names: a tag pushed
   * between the listing and the confirmation shifts what is old, but only tags the user saw listed
   * are ever deleted.
   */
  public Result delete(Target target, int keep, Set<String> confirmed) throws ActionException {
    return run(target, keep, Set.copyOf(confirmed), false);
  }

  private Result run(Target target, int keep, Set<String> confirmed, boolean dryRun)
      throws ActionException {
    if (keep < 0) {
      throw new ActionException(
          ActionCodes.INVALID_SPEC,
          "Cannot keep " + keep + " versions of " + target.image() + ".",
          "Pass --keep 0 or more.");
    }
    return ArtifactRegistryImage.isArtifactRegistryHost(target.host())
        ? artifactRegistry(target, keep, confirmed, dryRun)
        : distribution(target, keep, confirmed, dryRun);
  }

  private Result artifactRegistry(Target target, int keep, Set<String> confirmed, boolean dryRun)
      throws ActionException {
    ArtifactRegistryImage image;
    try {
      image = ArtifactRegistryImage.parse(target.image() + ":latest");
    } catch (IllegalArgumentException e) {
      throw new ActionException(
          ActionCodes.INVALID_SPEC,
          "`" + target.image() + "` is not an Artifact Registry image name: " + e.getMessage(),
          "Set deploymentRegistry.namespace to PROJECT/REPOSITORY, e.g. my-project/my-repo.");
    }
    try (ArtifactRegistryAdmin admin = artifactAdmins.open(target.env(), image.repositoryName())) {
      Result result = choose(target, admin.versionTags(image), keep, confirmed);
      if (!dryRun) {
        admin.deleteTags(image, result.delete());
      }
      return result;
    }
  }

  private Result distribution(Target target, int keep, Set<String> confirmed, boolean dryRun)
      throws ActionException {
    Optional<RegistryAuth> auth = credentials.find(target.host(), target.env());
    List<String> all = registry.tags(target.host(), target.repository(), auth, target.insecure());
    Map<String, Instant> pushed = new PushLog(target.projectRoot()).pushes(target.image());
    Map<String, Instant> age = new HashMap<>();
    for (String tag : all) {
      if (!ArtifactRegistryAdmin.isGroveVersion(tag)) {
        continue;
      }
      Instant when = pushed.get(tag);
      if (when == null) {
        when =
            registry
                .created(target.host(), target.repository(), tag, auth, target.insecure())
                .orElse(Instant.MIN);
      }
      age.put(tag, when);
    }
    List<String> newest = new ArrayList<>(age.keySet());
    newest.sort(
        Comparator.comparing((String tag) -> age.get(tag))
            .thenComparing(Comparator.naturalOrder())
            .reversed());
    Result chosen = choose(target, newest, keep, confirmed);
    if (chosen.delete().isEmpty()) {
      return chosen;
    }
    // The registry API deletes manifests, and every tag on a manifest goes with it: a manifest
    // that a kept tag (or a tag that is not a Grove version) also points to stays.
    Map<String, String> digests = new LinkedHashMap<>();
    for (String tag : all) {
      registry
          .digest(target.host(), target.repository(), tag, auth, target.insecure())
          .ifPresent(digest -> digests.put(tag, digest));
    }
    Set<String> doomed = Set.copyOf(chosen.delete());
    Map<String, String> keptDigests = new HashMap<>();
    digests.forEach(
        (tag, digest) -> {
          if (!doomed.contains(tag)) {
            keptDigests.putIfAbsent(digest, tag);
          }
        });
    List<String> delete = new ArrayList<>();
    List<String> keepToo = new ArrayList<>(chosen.keep());
    List<String> notes = new ArrayList<>(chosen.notes());
    Set<String> deletedDigests = new LinkedHashSet<>();
    for (String tag : chosen.delete()) {
      String digest = digests.get(tag);
      if (digest == null) {
        continue; // gone since the listing
      }
      String sharer = keptDigests.get(digest);
      if (sharer != null) {
        keepToo.add(tag);
        notes.add(
            tag
                + " stays: its image is also tagged "
                + sharer
                + ", and the registry API deletes images, not tags.");
        continue;
      }
      delete.add(tag);
      if (!dryRun && deletedDigests.add(digest)) {
        registry.deleteManifest(
            target.host(), target.repository(), digest, auth, target.insecure());
      }
    }
    return new Result(target.image(), delete, keepToo, notes);
  }

  /** The newest {@code keep} and the current versions stay; of the rest, the confirmed go. */
  private static Result choose(
      Target target, List<String> newestFirst, int keep, Set<String> confirmed) {
    List<String> delete = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (int i = 0; i < newestFirst.size(); i++) {
      String tag = newestFirst.get(i);
      if (i < keep) {
        kept.add(tag);
      } else if (target.current().contains(tag)) {
        kept.add(tag);
        notes.add(tag + " stays: it is the current version of its Build.");
      } else if (confirmed != null && !confirmed.contains(tag)) {
        kept.add(tag);
        notes.add(tag + " stays: it was not in the list you confirmed.");
      } else {
        delete.add(tag);
      }
    }
    return new Result(target.image(), delete, kept, notes);
  }
}
