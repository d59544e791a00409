package dev.grove.orchestrator.config;

import dev.grove.actions.spi.Schema;
import dev.grove.api.action.ActionKind;

/** The shapes of the project document and of the fields common to all actions. */
final class ConfigSchemas {
  private ConfigSchemas() {}

  static final Schema.Obj ENVIRONMENT =
      Schema.obj()
          .any("name", "defaultNamespace", "variables", "varfile", "production")
          .notActedOn("providers")
          .build();

  static final Schema.Obj PROJECT =
      Schema.obj()
          .any(
              "apiVersion",
              "kind",
              "name",
              "defaultEnvironment",
              "providers",
              "variables",
              "varfile",
              "dotIgnoreFile",
              "dotIgnoreFiles",
              "id",
              "domain")
          .field("environments", Schema.listOf(ENVIRONMENT))
          .field("scan", Schema.obj().any("include", "exclude", "git").build())
          // Deprecated here (Garden rejects it): grove.yml holds it now, see GroveSettings.
          .field(
              "concurrency", Schema.obj().any("build", "deploy", "run", "test", "overall").build())
          .field("sources", Schema.listOf(Schema.obj().any("name", "repositoryUrl").build()))
          .notActedOn("outputs", "proxy", "modules", "requirements", "importVariables")
          .build();

  private static final Schema.Obj COMMON =
      Schema.obj()
          .any(
              "kind",
              "type",
              "name",
              "description",
              "dependencies",
              "source",
              "include",
              "exclude",
              "variables",
              "varfiles",
              "disabled",
              "environments",
              "timeout",
              "spec")
          .field(
              "version",
              Schema.obj()
                  .any("excludeFields", "excludeValues", "excludeFiles", "excludeDependencies")
                  .build())
          .notActedOn("internal")
          .build();

  static final Schema.Obj BUILD =
      Schema.obj().with(COMMON).any("allowPublish", "buildAtSource").notActedOn("copyFrom").build();

  static final Schema.Obj DEPLOY_RUN_TEST = Schema.obj().with(COMMON).any("build").build();

  static Schema.Obj forKind(ActionKind kind) {
    return kind == ActionKind.BUILD ? BUILD : DEPLOY_RUN_TEST;
  }
}
