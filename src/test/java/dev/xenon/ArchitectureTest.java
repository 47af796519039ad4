package dev.xenon;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layering of docs/ARCHITECTURE.md, checked on the compiled classes: a change that adds a back-edge or a cycle
 * between packages fails here, with the offending class and member named.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.xenon");
    }

    @Test
    void noPackageIsInACycle() {
        slices().matching("dev.xenon.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void layersOnlyLookDown() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("wiring").definedBy("dev.xenon.server..", "dev.xenon.cli..")
                .layer("api").definedBy("dev.xenon.api..")
                .layer("steps").definedBy("dev.xenon.steps..")
                .layer("control").definedBy("dev.xenon.control..")
                .layer("operations").definedBy("dev.xenon.operations..")
                .layer("store").definedBy("dev.xenon.store..")
                .layer("provisioner").definedBy("dev.xenon.provisioner..")
                .layer("proxy").definedBy("dev.xenon.proxy..")
                .layer("leaves").definedBy("dev.xenon.pgsettings..", "dev.xenon.throttle..", "dev.xenon.certificates..", "dev.xenon.units..")
                .whereLayer("wiring").mayNotBeAccessedByAnyLayer()
                .whereLayer("api").mayOnlyBeAccessedByLayers("wiring")
                .whereLayer("steps").mayOnlyBeAccessedByLayers("wiring")
                .whereLayer("control").mayOnlyBeAccessedByLayers("wiring", "api", "steps")
                .whereLayer("operations").mayOnlyBeAccessedByLayers("wiring", "api", "steps", "control")
                .whereLayer("store").mayOnlyBeAccessedByLayers("wiring", "api", "steps", "control", "operations")
                .whereLayer("provisioner").mayOnlyBeAccessedByLayers("wiring", "steps", "control", "operations", "store")
                .whereLayer("proxy").mayOnlyBeAccessedByLayers("wiring")
                .check(classes);
    }

    /** Routes call services; only the store's outage error reaches the api, to become a 503. */
    @Test
    void routesOpenNoTransactions() {
        noClasses().that().resideInAPackage("dev.xenon.api..")
                .should().dependOnClassesThat().resideInAPackage("org.jdbi..")
                .orShould().dependOnClassesThat().belongToAnyOf(dev.xenon.store.Db.class)
                .check(classes);
    }

    @Test
    void theStoreUsesOnlyThePostgresRoomOfTheLocalProvisioner() {
        noClasses().that().resideInAPackage("dev.xenon.store..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.xenon.provisioner.local",
                        "dev.xenon.provisioner.local.copy..", "dev.xenon.provisioner.local.history..",
                        "dev.xenon.provisioner.local.compute..")
                .check(classes);
    }
}
