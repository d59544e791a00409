package dev.grove.e2e;

import org.junit.jupiter.api.BeforeAll;

/**
 * {@link StoryE2E}'s story on a real K3s cluster with the registry in a container ({@code grove
 * sandbox up --k3s}, Testcontainers): the pulls, pull-secret diagnosis and rollouts are K3s's own.
 * Where no Docker engine answers, every step is reported skipped with that reason.
 */
class StoryK3sE2E extends StoryE2E {

  /** Hides {@link StoryE2E#setUp()}: JUnit then runs only this one. */
  @BeforeAll
  static void setUp() throws Exception {
    start("--k3s");
  }
}
