import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the project of {@code GenerateProject.java} (N actions, three per service) with its
 * actions rendered from one ConfigTemplate: each service is a RenderTemplate whose inputs (checked
 * against a JSON schema) carry its upstream image, an extra dependency and its replicas.
 *
 * <p>Usage: {@code java bench/GenerateTemplatedProject.java N OUT_DIR}
 */
public class GenerateTemplatedProject {
  public static void main(String[] args) throws IOException {
    int actions = Integer.parseInt(args[0]);
    Path out = Path.of(args[1]);
    int services = Math.max(1, (actions + 2) / 3);
    Files.createDirectories(out.resolve("templates"));
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
      Files.createDirectories(dir.resolve("src"));
      Files.createDirectories(dir.resolve("k8s"));
      Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\nCOPY src /app\nCMD [\"/app/main\"]\n");
      Files.writeString(dir.resolve("src/main.txt"), "service " + name + "\n");
      Files.writeString(dir.resolve("src/config.json"), "{\"name\": \"" + name + "\", \"port\": 8080}\n");
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
