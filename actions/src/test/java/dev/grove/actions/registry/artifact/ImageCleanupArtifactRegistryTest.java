package dev.grove.actions.registry.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.devtools.artifactregistry.v1.ArtifactRegistrySettings;
import dev.grove.actions.registry.RegistryCredentials;
import dev.grove.actions.registry.RegistryStatus;
import dev.grove.actions.registry.cleanup.ImageCleanup;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code grove cleanup images} on an Artifact Registry host goes through the API (a gRPC fake). */
class ImageCleanupArtifactRegistryTest {
  static final String PKG =
      "projects/proj/locations/us-central1/repositories/apps/packages/team%2Fapi";
  static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

  final FakeArtifactRegistry fake = new FakeArtifactRegistry();
  Server server;
  ManagedChannel channel;
  ImageCleanup cleanup;
  final ImageCleanup.Target target =
      new ImageCleanup.Target(
          "us-central1-docker.pkg.dev",
          "proj/apps/team/api",
          false,
          Set.of("v-0000000002"),
          Path.of("/nonexistent"),
          Map.of());

  @BeforeEach
  void start() throws IOException {
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor().addService(fake).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    ArtifactRegistrySettings settings =
        ArtifactRegistrySettings.newBuilder()
            .setTransportChannelProvider(
                FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)))
            .setCredentialsProvider(NoCredentialsProvider.create())
            .build();
    cleanup =
        new ImageCleanup(
            new RegistryCredentials(),
            new RegistryStatus(),
            (env, what) -> {
              try {
                return ArtifactRegistryAdmin.create(settings);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    for (int i = 1; i <= 4; i++) {
      fake.addVersion(PKG, "sha256:0" + i, T0.plusSeconds(i), "v-000000000" + i);
    }
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  @Test
  void keepsTheNewestAndTheCurrentVersionAndDeletesOnlyWhatWasConfirmed() throws Exception {
    ImageCleanup.Result plan = cleanup.plan(target, 1);
    assertThat(plan.delete()).containsExactly("v-0000000003", "v-0000000001");
    assertThat(plan.keep()).containsExactly("v-0000000004", "v-0000000002");
    assertThat(fake.tagsOf(PKG)).hasSize(4);

    ImageCleanup.Result done = cleanup.delete(target, 1, Set.of("v-0000000001"));

    assertThat(done.delete()).containsExactly("v-0000000001");
    assertThat(fake.tagsOf(PKG)).containsExactly("v-0000000002", "v-0000000003", "v-0000000004");
    assertThat(fake.versionsOf(PKG)).containsExactly("sha256:02", "sha256:03", "sha256:04");
  }
}
