package dev.grove.sandbox;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.grove.sandbox.apiserver.PatchRules;
import dev.grove.sandbox.image.ImagePulls;

/**
 * Module arrows for the cluster simulation: actions' tests use it, so it stands on api alone among
 * Grove's modules (what it needs of actions comes in through {@link PatchRules} and {@link
 * ImagePulls}), and it knows nothing of the daemon, the CLI or the sandbox tool built on it.
 *
 * <p>Inside, the parts stand on each other in layers: the entry points ({@code MockCluster}, {@code
 * TestController}, {@code SimulatedKubelet}) assemble the API server, the controllers and the
 * kubelet, which know nothing of each other and share only what a cluster's parts share ({@code
 * cluster}: the state of one turn, events, the node, pod logs); images are the kubelet's; the API
 * server reaches pods' streams through the kubelet's {@code PodStreams}; Services ({@code service})
 * stand on the cluster's state.
 */
@AnalyzeClasses(packages = "dev.grove", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule standsOnApiAlone =
      noClasses()
          .that()
          .resideInAPackage("dev.grove.sandbox..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.grove.actions..",
              "dev.grove.orchestrator..",
              "dev.grove.cli..",
              "dev.grove.sandbox.tool..",
              "picocli..");

  @ArchTest
  static final ArchRule layers =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("entry points")
          .definedBy("dev.grove.sandbox")
          .layer("API server")
          .definedBy("dev.grove.sandbox.apiserver..")
          .layer("controllers")
          .definedBy("dev.grove.sandbox.controller..")
          .layer("kubelet")
          .definedBy("dev.grove.sandbox.kubelet..")
          .layer("images")
          .definedBy("dev.grove.sandbox.image..")
          .layer("services")
          .definedBy("dev.grove.sandbox.service..")
          .layer("CRI client")
          .definedBy("dev.grove.sandbox.cri..")
          .layer("cluster")
          .definedBy("dev.grove.sandbox.cluster..")
          .whereLayer("entry points")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("API server")
          .mayOnlyBeAccessedByLayers("entry points")
          .whereLayer("controllers")
          .mayOnlyBeAccessedByLayers("entry points")
          // the API server proxies pods/exec, attach and portforward to the streams the kubelet's
          // runtime serves (PodStreams), as kube-apiserver does to the kubelet
          .whereLayer("kubelet")
          .mayOnlyBeAccessedByLayers("entry points", "API server")
          .whereLayer("services")
          .mayOnlyBeAccessedByLayers("entry points")
          .whereLayer("images")
          .mayOnlyBeAccessedByLayers("entry points", "kubelet")
          .whereLayer("CRI client")
          .mayOnlyBeAccessedByLayers("kubelet")
          .whereLayer("cluster")
          .mayOnlyBeAccessedByLayers(
              "entry points", "API server", "controllers", "kubelet", "services");
}
