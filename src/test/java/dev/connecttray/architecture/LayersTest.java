package dev.connecttray.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.properties.HasOwner;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.connecttray.os.Platform;
import org.junit.jupiter.api.Test;

/**
 * The packages as layers, and who may use whom. {@code core} is at the bottom and imports no UI
 * and no library; {@code receiver} (the embedded engine's child process), {@code supervisor} and
 * the engine adapters never reach up into the composition root; {@code view} (what a state looks
 * like in words, icons and menus) is pure Java, and the tray and the window use it, not each other;
 * {@code os} (running desktop tools, which system this is) sits just above {@code core} and the
 * settings use only its {@code Platform}. A dependency that breaks a rule fails the build with the
 * classes that make it.
 */
class LayersTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("dev.connecttray");

    @Test
    void eachLayerUsesOnlyTheLayersBelowIt() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Root").definedBy("dev.connecttray")
                .layer("Core").definedBy("dev.connecttray.core..")
                .layer("Config").definedBy("dev.connecttray.config..")
                .layer("Ipc").definedBy("dev.connecttray.ipc..")
                .layer("Receiver").definedBy("dev.connecttray.receiver..")
                .layer("Supervisor").definedBy("dev.connecttray.supervisor..")
                .layer("Engines").definedBy("dev.connecttray.engine..")
                .layer("View").definedBy("dev.connecttray.view..")
                .layer("Desktop").definedBy("dev.connecttray.desktop..")
                .layer("Tray").definedBy("dev.connecttray.tray..")
                .layer("Ui").definedBy("dev.connecttray.ui..")
                .layer("Os").definedBy("dev.connecttray.os..")
                .whereLayer("Os").mayOnlyAccessLayers("Core")
                .whereLayer("Os").mayOnlyBeAccessedByLayers("Root", "Config", "Receiver", "Supervisor", "Engines",
                        "Desktop", "Tray", "Ui")
                .whereLayer("Core").mayOnlyAccessLayers("Core")
                .whereLayer("Config").mayOnlyAccessLayers("Core", "Os")
                .whereLayer("Ipc").mayOnlyAccessLayers("Core")
                .whereLayer("View").mayOnlyAccessLayers("Core", "Config")
                .whereLayer("Desktop").mayOnlyAccessLayers("Os")
                .whereLayer("Receiver").mayOnlyAccessLayers("Core", "Config", "Ipc", "Os", "View")
                .whereLayer("Supervisor").mayOnlyAccessLayers("Core", "Config", "Ipc", "Os", "View")
                .whereLayer("Engines").mayOnlyAccessLayers("Core", "Config", "Ipc", "Supervisor", "Os")
                .whereLayer("Tray").mayOnlyAccessLayers("Core", "Config", "Os", "View", "Desktop")
                .whereLayer("Ui").mayOnlyAccessLayers("Core", "Config", "Os", "View", "Desktop")
                .check(CLASSES);
    }

    /** The settings may ask which system this is (their folders differ), but run nothing on it. */
    @Test
    void configUsesOnlyThePlatformOfTheOsLayer() {
        noClasses().that().resideInAPackage("dev.connecttray.config..")
                .should().dependOnClassesThat(resideInAPackage("dev.connecttray.os..")
                        .and(DescribedPredicate.not(equivalentTo(Platform.class))))
                .orShould().dependOnClassesThat().areAssignableTo(ProcessBuilder.class)
                .check(CLASSES);
    }

    @Test
    void coreConfigAndIpcUseNoUiAndNoSpotifyLibrary() {
        noClasses().that().resideInAnyPackage("dev.connecttray.core..", "dev.connecttray.config..",
                        "dev.connecttray.ipc..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "dorkbox..", "xyz.gianlu..",
                        "com.spotify..", "java.awt..", "javax.swing..")
                .check(CLASSES);
    }

    /** The README's "no library but Failsafe" (and the logging facade), as a list of what is allowed. */
    @Test
    void coreUsesOnlyTheJdkFailsafeAndTheLoggingFacade() {
        classes().that().resideInAPackage("dev.connecttray.core..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.connecttray.core..",
                        "dev.failsafe..", "org.slf4j..")
                .check(CLASSES);
    }

    @Test
    void theViewUsesNoUiToolkitNoDesktopAndNoEngine() {
        noClasses().that().resideInAPackage("dev.connecttray.view..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "dorkbox..", "java.awt..",
                        "javax.swing..", "xyz.gianlu..", "com.spotify..", "dev.connecttray.tray..",
                        "dev.connecttray.ui..", "dev.connecttray.supervisor..", "dev.connecttray.engine..",
                        "dev.connecttray.receiver..", "dev.connecttray.desktop..")
                .check(CLASSES);
    }

    @Test
    void onlyTheEmbeddedReceiverUsesTheSpotifyLibrary() {
        noClasses().that().resideOutsideOfPackages("dev.connecttray.receiver..", "dev.connecttray")
                .should().dependOnClassesThat().resideInAnyPackage("xyz.gianlu..", "com.spotify..")
                .check(CLASSES);
    }

    @Test
    void everyThreadComesFromThreadsWithAName() {
        noClasses().that().doNotHaveFullyQualifiedName("dev.connecttray.core.Threads")
                .should().callConstructorWhere(JavaCall.Predicates.target(
                        HasOwner.Predicates.With.owner(JavaClass.Predicates.assignableTo(Thread.class))))
                .because("a thread's name says who owns it (core.Threads)")
                .check(CLASSES);
    }

    @Test
    void onlyTheTrayAndTheWindowUseUiToolkits() {
        noClasses().that().resideOutsideOfPackages("dev.connecttray.tray..", "dev.connecttray.ui..", "dev.connecttray")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "dorkbox..")
                .check(CLASSES);
    }
}
