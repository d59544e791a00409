package dev.grove.sandbox;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Module arrows for the cluster simulation: actions' tests use it, so it stands on api alone among
 * Grove's modules (what it needs of actions comes in through {@link PatchRules} and {@link
 * ImagePulls}), and it knows nothing of the daemon, the CLI or the sandbox tool built on it.
 */
@AnalyzeClasses(packages = "dev.grove", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule standsOnApiAlone =
      noClasses()
          .that()
          .resideInAPackage("dev.grove.sandbox")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.grove.actions..",
              "dev.grove.orchestrator..",
              "dev.grove.cli..",
              "dev.grove.sandbox.tool..",
              "picocli..");
}
