package org.distribank.bank;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.GeneralCodingRules.ACCESS_STANDARD_STREAMS;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The bank peer's rules: it uses the protocol through its public API only, and stays a headless library. */
@AnalyzeClasses(packages = "org.distribank.bank", importOptions = ImportOption.DoNotIncludeTests.class)
class BankArchitectureTest {

    @ArchTest
    static final ArchRule usesTheProtocolsPublicApiOnly = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage("org.distribank.consortium.core..",
                    "org.distribank.consortium.link..", "org.distribank.consortium.storage..",
                    "org.distribank.consortium.multicast..", "org.distribank.consortium.clock..",
                    "org.distribank.consortium.membership..", "org.distribank.consortium.transport..",
                    "org.distribank.consortium.observe..", "org.distribank.consortium.auth..")
            .because("the protocol's public API is its root package and entity (PROTOCOL.md)");

    @ArchTest
    static final ArchRule knowsNoApp = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage("org.distribank.app..", "org.distribank.dataserver..",
                    "javafx..", "atlantafx..")
            .because("the bank reaches the data server over HTTP and runs headless");

    @ArchTest
    static final ArchRule logsThroughSlf4j = noClasses().should(ACCESS_STANDARD_STREAMS);

    @ArchTest
    static final ArchRule noJavaUtilLogging = NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;
}
