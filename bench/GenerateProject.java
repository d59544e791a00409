import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes an N-action Garden project shaped like a microservice repo: per service a container
 * Build, a container Deploy using it, and a kubernetes Deploy from a templated manifest with a
 * patch; templates reference variables, the environment and other actions' outputs.
 *
 * <p>Usage: {@code java bench/GenerateProject.java N OUT_DIR [templated]}; with {@code templated}
 * the same actions are rendered from one ConfigTemplate by RenderTemplates.
 */
public class GenerateProject {
  public static void main(String[] args) throws IOException {
    int actions = Integer.parseInt(args[0]);
    Path out = Path.of(args[1]);
    int services = Math.max(1, (actions + 2) / 3);
    Files.createDirectories(out);
    writeProject(out);
    if (args.length > 2 && args[2].equals("templated")) {
      writeTemplated(out, services);
      return;
    }
    int written = 0;
    for (int i = 0; i < services && written < actions; i++) {
      String name = "svc-" + i;
      Path dir = out.resolve("services").resolve(name);
      writeSources(dir, name);
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
                    image: ${actions.build.%1$s.outputs.deployment-image-id}
          """
              .formatted(name));
      StringBuilder config = new StringBuilder();
      config.append(
          """
          kind: Build
          type: container
          name: %1$s
          description: Image of %1$s
          spec:
            buildArgs:
              SERVICE: %1$s
              ENV: ${environment.name}
          """
              .formatted(name));
      written++;
      if (written < actions) {
        String upstream = i == 0 ? "" : "\n    UPSTREAM_IMAGE: ${actions.build.svc-" + (i - 1) + ".outputs.deploymentImageId}";
        config.append(
            """
            ---
            kind: Deploy
            type: container
            name: %1$s
            build: %1$s
            spec:
              replicas: ${var.replicas}
              env:
                SERVICE_NAME: %1$s
                NAMESPACE: ${environment.namespace}%2$s
              ports:
                - name: http
                  containerPort: 8080
                  servicePort: 80
              healthCheck:
                httpGet: {path: /healthz, port: http}
            """
                .formatted(name, upstream));
        written++;
      }
      if (written < actions) {
        String dependency = i == 0 ? "" : "\ndependencies: [deploy.svc-" + (i / 2) + "]";
        config.append(
            """
            ---
            kind: Deploy
            type: kubernetes
            name: %1$s-worker%2$s
            spec:
              files: [k8s/deployment.yml]
              patchResources:
                - kind: Deployment
                  name: %1$s-worker
                  patch:
                    spec:
                      template:
                        spec:
                          imagePullSecrets:
                            - name: ${var.pullSecret}
            """
                .formatted(name, dependency));
        written++;
      }
      Files.writeString(dir.resolve("garden.yml"), config.toString());
    }
    System.out.println("wrote " + written + " actions to " + out);
  }

  private static void writeProject(Path out) throws IOException {
    Files.writeString(
        out.resolve("project.garden.yml"),
        """
        apiVersion: garden.io/v1
        kind: Project
        name: bench
        defaultEnvironment: dev
        variables:
          pullSecret: registry-pull
          replicas: 1
          team: platform
        environments:
          - name: dev
            defaultNamespace: dev
          - name: prod
            defaultNamespace: prod
            variables:
              replicas: 3
        providers:
          - name: kubernetes
            context: grove-sandbox
            deploymentRegistry:
              hostname: europe-west1-docker.pkg.dev
              namespace: bench-project/images
            imagePullSecrets:
              - name: ${var.pullSecret}
                namespace: default
        """);
    Files.writeString(out.resolve(".gardenignore"), "*.log\ntmp/\n");
  }

  /** A service's Dockerfile and sources, the same in both shapes. */
  private static void writeSources(Path dir, String name) throws IOException {
    Files.createDirectories(dir.resolve("src"));
    Files.createDirectories(dir.resolve("k8s"));
    Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\nCOPY src /app\nCMD [\"/app/main\"]\n");
    Files.writeString(dir.resolve("src/main.txt"), "service " + name + "\n");
    Files.writeString(dir.resolve("src/config.json"), "{\"name\": \"" + name + "\", \"port\": 8080}\n");
  }

  /**
   * The same actions rendered from one ConfigTemplate: each service is a RenderTemplate whose
   * inputs (checked against a JSON schema) carry its upstream image and extra dependencies.
   */
  private static void writeTemplated(Path out, int services) throws IOException {
    Files.createDirectories(out.resolve("templates"));
    Files.writeString(
        out.resolve("templates/service.schema.json"),
        """
        {
          "type": "object",
          "properties": {
            "port": {"type": "integer", "minimum": 1, "maximum": 65535, "default": 8080},
            "extraEnv": {"type": "object", "additionalProperties": {"type": "string"}, "default": {}},
            "dependencies": {"type": "array", "items": {"type": "string"}, "default": []}
          },
          "additionalProperties": false
        }
        """);
    Files.writeString(
        out.resolve("templates/garden.yml"),
        """
        kind: ConfigTemplate
        name: service
        inputsSchemaPath: service.schema.json
        configs:
          - kind: Build
            type: container
            name: ${parent.name}
            description: Image of ${parent.name}
            spec:
              buildArgs:
                SERVICE: ${parent.name}
                ENV: ${environment.name}
          - kind: Deploy
            type: container
            name: ${parent.name}
            build: ${parent.name}
            spec:
              replicas: ${var.replicas}
              env:
                SERVICE_NAME: ${parent.name}
                NAMESPACE: ${environment.namespace}
                $merge: ${inputs.extraEnv}
              ports:
                - name: http
                  containerPort: ${inputs.port}
                  servicePort: 80
              healthCheck:
                httpGet: {path: /healthz, port: http}
          - kind: Deploy
            type: kubernetes
            name: ${parent.name}-worker
            dependencies: ${inputs.dependencies}
            spec:
              files: [k8s/deployment.yml]
              patchResources:
                - kind: Deployment
                  name: ${parent.name}-worker
                  patch:
                    spec:
                      template:
                        spec:
                          imagePullSecrets:
                            - name: ${var.pullSecret}
        """);
    for (int i = 0; i < services; i++) {
      String name = "svc-" + i;
      Path dir = out.resolve("services").resolve(name);
      writeSources(dir, name);
      Files.writeString(
          dir.resolve("k8s/deployment.yml"),
          """
          apiVersion: apps/v1
          kind: Deployment
          metadata:
            name: ${parent.name}-worker
          spec:
            replicas: ${var.replicas}
            selector:
              matchLabels: {app: "${parent.name}-worker"}
            template:
              metadata:
                labels: {app: "${parent.name}-worker", team: "${var.team}"}
              spec:
                containers:
                  - name: worker
                    image: ${actions.build["${parent.name}"].outputs.deployment-image-id}
          """);
      StringBuilder inputs = new StringBuilder();
      if (i > 0) {
        inputs.append("  extraEnv:\n    UPSTREAM_IMAGE: ${actions.build.svc-")
            .append(i - 1)
            .append(".outputs.deploymentImageId}\n");
        inputs.append("  dependencies: [deploy.svc-").append(i / 2).append(", build.").append(name).append("]\n");
      } else {
        inputs.append("  dependencies: [build.").append(name).append("]\n");
      }
      Files.writeString(
          dir.resolve("garden.yml"),
          "kind: RenderTemplate\ntemplate: service\nname: " + name + "\ninputs:\n" + inputs);
    }
    System.out.println("wrote " + services * 3 + " actions from " + services + " RenderTemplates to " + out);
  }
}
