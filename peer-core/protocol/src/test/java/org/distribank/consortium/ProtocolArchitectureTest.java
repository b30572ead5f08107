package org.distribank.consortium;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.GeneralCodingRules.ACCESS_STANDARD_STREAMS;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The protocol library's own rules: it orders opaque operations and knows nothing above it. */
@AnalyzeClasses(packages = "org.distribank.consortium", importOptions = ImportOption.DoNotIncludeTests.class)
class ProtocolArchitectureTest {

    @ArchTest
    static final ArchRule knowsNoBanking = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage("org.distribank.bank..", "org.distribank.app..",
                    "org.distribank.dataserver..", "at.favre.lib..")
            .because("the protocol orders opaque operations; banking plugs into it through StateMachine");

    @ArchTest
    static final ArchRule headless = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage("javafx..", "atlantafx..", "org.kordamp..");

    @ArchTest
    static final ArchRule logsThroughSlf4j = noClasses().should(ACCESS_STANDARD_STREAMS)
            .because("a library logs through SLF4J; only the launcher prints");

    @ArchTest
    static final ArchRule noJavaUtilLogging = NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

    private static final String CORE = "org.distribank.consortium.core..";

    @ArchTest
    static final ArchRule coreIsPure = noClasses()
            .that().resideInAPackage(CORE)
            .should().dependOnClassesThat().resideInAnyPackage("java.net..", "java.nio.file..", "java.nio.channels..",
                    "java.util.concurrent.locks..", "java.time..", "io.javalin..", "okhttp3..",
                    "org.distribank.consortium.node..", "org.distribank.consortium.transport..",
                    "org.distribank.consortium.link..", "org.distribank.consortium.storage..",
                    "org.distribank.consortium.membership..", "org.distribank.consortium.observe..")
            .orShould().dependOnClassesThat().haveFullyQualifiedName(Thread.class.getName())
            .orShould().dependOnClassesThat().haveSimpleNameStartingWith("Executor")
            .orShould().callMethod(System.class, "currentTimeMillis")
            .orShould().callMethod(System.class, "nanoTime")
            .because("the protocol core takes events and returns what to do: no threads, sockets, clocks or files"
                    + " (PROTOCOL.md, \"The core and its driver\")");

    @ArchTest
    static final ArchRule entitiesStandAlone = noClasses()
            .that().resideInAPackage("org.distribank.consortium.entity..")
            .should().dependOnClassesThat().resideInAnyPackage("org.distribank.consortium.core..",
                    "org.distribank.consortium.transport..", "org.distribank.consortium.link..",
                    "org.distribank.consortium.storage..")
            .because("the records of the public API depend on nothing but each other");
}
