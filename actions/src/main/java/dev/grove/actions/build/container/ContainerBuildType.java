package dev.grove.actions.build.container;

import dev.grove.actions.process.ProcessRunner;
import dev.grove.actions.registry.GoogleAdc;
import dev.grove.actions.registry.RegistryCredentials;
import dev.grove.actions.registry.RegistryStatus;
import dev.grove.actions.registry.artifact.ArtifactRepositories;
import dev.grove.actions.spi.ActionHandler;
import dev.grove.actions.spi.BaseActionType;
import dev.grove.actions.spi.Schema;
import dev.grove.api.action.ActionKind;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@code Build/container}: a Dockerfile build whose image is tagged with the action version. */
public final class ContainerBuildType extends BaseActionType {

  private static final Schema.Obj SPEC =
      Schema.obj()
          .any(
              "dockerfile",
              "buildArgs",
              "extraFlags",
              "localId",
              "publishId",
              "targetStage",
              "platforms",
              "secrets")
          .build();

  private final ActionHandler handler;

  /**
   * @param runner runs the docker CLI when the build mode asks for it (the daemon's runner)
   */
  public ContainerBuildType(ProcessRunner runner) {
    super(ActionKind.BUILD, "container", SPEC, Set.of());
    this.handler =
        new ContainerBuildHandler(
            new RegistryCredentials(),
            new RegistryStatus(),
            new DockerBuilder(runner),
            ArtifactRepositories.standard(GoogleAdc.standard()));
  }

  /** jib, or the docker CLI when the build mode asks for it and an engine answers. */
  @Override
  public ActionHandler handler() {
    return handler;
  }

  /**
   * Garden's image names: {@code <registry prefix>/<localId or name>:<version>}; without a
   * deployment registry the local name is used.
   */
  @Override
  public Map<String, Object> staticOutputs(OutputContext context) {
    Object localId = context.spec().get("localId");
    String localName = localId instanceof String text && !text.isEmpty() ? text : context.name();
    String deploymentName =
        context.registry().map(registry -> registry.prefix() + "/" + localName).orElse(localName);
    String version = context.version();
    Map<String, Object> outputs = new LinkedHashMap<>();
    put(outputs, "localImageName", "local-image-name", localName);
    put(outputs, "localImageId", "local-image-id", localName + ":" + version);
    put(outputs, "deploymentImageName", "deployment-image-name", deploymentName);
    put(outputs, "deploymentImageId", "deployment-image-id", deploymentName + ":" + version);
    put(outputs, "deploymentImageTag", "deployment-image-tag", version);
    return outputs;
  }

  private static void put(Map<String, Object> outputs, String name, String alias, String value) {
    outputs.put(name, value);
    outputs.put(alias, value);
  }
}
