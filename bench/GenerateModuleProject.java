import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a Garden 0.12-style project of N Modules (for {@code bench/validate.sh}'s measure of the
 * Module conversion): per service a container Module (Dockerfile, one service referencing another
 * Module's image name) and a kubernetes Module deploying a manifest file that references the image
 * through {@code ${modules.*}}: 3 actions per 2 Modules.
 *
 * <p>Usage: {@code java bench/GenerateModuleProject.java MODULES OUT_DIR}
 */
public class GenerateModuleProject {
  public static void main(String[] args) throws IOException {
    int modules = Integer.parseInt(args[0]);
    Path out = Path.of(args[1]);
    Files.createDirectories(out);
    Files.writeString(
        out.resolve("project.garden.yml"),
        """
        apiVersion: garden.io/v1
        kind: Project
        name: bench-modules
        defaultEnvironment: dev
        variables:
          replicas: 1
          team: platform
        environments:
          - name: dev
            defaultNamespace: dev
        providers:
          - name: kubernetes
            context: grove-sandbox
            deploymentRegistry:
              hostname: europe-west1-docker.pkg.dev
              namespace: bench-project/images
        """);
    for (int i = 0; i < modules / 2; i++) {
      String name = "svc-" + i;
      Path dir = out.resolve("services").resolve(name);
      Files.createDirectories(dir.resolve("src"));
      Files.createDirectories(dir.resolve("k8s"));
      Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\nCOPY src /app\n");
      Files.writeString(dir.resolve("src/main.txt"), "service " + name + "\n");
      Files.writeString(
          dir.resolve("k8s/deployment.yml"),
          """
          apiVersion: apps/v1
          kind: Deployment
          metadata:
            name: %1$s-worker
          spec:
            replicas: ${var.replicas}
            selector:
              matchLabels: {app: %1$s-worker}
            template:
              metadata:
                labels: {app: %1$s-worker, team: "${var.team}"}
              spec:
                containers:
                  - name: worker
                    image: ${modules.%1$s.outputs.deployment-image-id}
          """
              .formatted(name));
      String peer = "svc-" + Math.max(0, i - 1);
      Files.writeString(
          dir.resolve("garden.yml"),
          """
          kind: Module
          type: container
          name: %1$s
          services:
            - name: %1$s
              ports: [{name: http, containerPort: 8080}]
              env:
                TEAM: ${var.team}
                PEER_IMAGE: ${modules.%2$s.outputs.deployment-image-name}
          tests:
            - name: unit
              args: [test]
          ---
          kind: Module
          type: kubernetes
          name: %1$s-worker
          build:
            dependencies: [%1$s]
          files: [k8s/deployment.yml]
          """
              .formatted(name, peer));
    }
  }
}
