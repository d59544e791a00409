package dev.grove.orchestrator;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.grove.api.event.Event;

/**
 * Module arrows: the orchestrator never uses the CLI nor fabric8; the config engine knows nothing
 * of the HTTP layer; the packages form no cycles.
 */
@AnalyzeClasses(
    packages = "dev.grove.orchestrator",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule noCli =
      noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.grove.cli..", "picocli..");

  @ArchTest
  static final ArchRule configEngineIsFreeOfVertx =
      noClasses()
          .that()
          .resideInAnyPackage(
              "dev.grove.orchestrator.config..",
              "dev.grove.orchestrator.template..",
              "dev.grove.orchestrator.files..",
              "dev.grove.orchestrator.graph..",
              "dev.grove.orchestrator.version..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.vertx..", "dev.grove.orchestrator.http..");

  /** Kubernetes goes through the action handlers (actions' kube package), never fabric8 here. */
  @ArchTest
  static final ArchRule noFabric8 =
      noClasses().should().dependOnClassesThat().resideInAnyPackage("io.fabric8..");

  /**
   * {@code grove logs} reads every Deploy type's logs through the handlers' {@code DeployLogs}
   * capability: the logs package knows no type (kube, exec processes), only the SPI.
   */
  @ArchTest
  static final ArchRule logsGoThroughTheSpi =
      noClasses()
          .that()
          .resideInAPackage("dev.grove.orchestrator.logs..")
          .should()
          .dependOnClassesThat(
              resideInAPackage("dev.grove.actions..")
                  .and(DescribedPredicate.not(resideInAPackage("dev.grove.actions.spi.."))));

  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("dev.grove.orchestrator.(*)..").should().beFreeOfCycles();

  /**
   * Issue 13: events are numbered and stamped by the bus (and a subscriber's gap), from payload
   * records; nothing else makes an {@link Event}.
   */
  @ArchTest
  static final ArchRule onlyTheBusMakesEvents =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.grove.orchestrator.events")
          .should()
          .callConstructorWhere(
              DescribedPredicate.describe(
                  "it makes an Event", call -> call.getTargetOwner().isEquivalentTo(Event.class)));
}
