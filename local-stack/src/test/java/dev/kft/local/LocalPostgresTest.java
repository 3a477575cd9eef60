package dev.kft.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class LocalPostgresTest {

  private static final String PASSWORD = "kft-test-password-4f1d";

  @Test
  void aServerStartsKeepsItsDataAcrossRestartsAndStops() throws Exception {
    Path data = Files.createTempDirectory("kft-pg-test-").resolve("data");
    data.getParent().toFile().setExecutable(true, false);
    try (LocalPostgres pg = LocalPostgres.start(data, 0, false, PASSWORD)) {
      try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), "postgres", PASSWORD);
          Statement s = c.createStatement()) {
        s.execute("create table t (v text)");
        s.execute("insert into t values ('kept')");
        try (ResultSet r = s.executeQuery("select version()")) {
          assertTrue(r.next());
          assertTrue(r.getString(1).startsWith("PostgreSQL 14"), r.getString(1));
        }
      }
    }
    try (LocalPostgres pg = LocalPostgres.start(data, 0, false, PASSWORD);
        Connection c = DriverManager.getConnection(pg.jdbcUrl(), "postgres", PASSWORD);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("select v from t")) {
      assertTrue(r.next());
      assertEquals("kept", r.getString(1));
    }
  }

  @Test
  void aClientWithoutThePasswordIsTurnedAway() throws Exception {
    Path data = Files.createTempDirectory("kft-pg-test-").resolve("data");
    data.getParent().toFile().setExecutable(true, false);
    try (LocalPostgres pg = LocalPostgres.start(data, 0, false, PASSWORD)) {
      SQLException none =
          assertThrows(
              SQLException.class,
              () -> DriverManager.getConnection(pg.jdbcUrl(), "postgres", "").close());
      assertTrue(none.getMessage().contains("requested SCRAM-based authentication"), "" + none);
      for (String wrong : new String[] {"postgres", PASSWORD + "x"}) {
        SQLException e =
            assertThrows(
                SQLException.class,
                () -> DriverManager.getConnection(pg.jdbcUrl(), "postgres", wrong).close());
        assertEquals("28P01", e.getSQLState(), "password authentication failed: " + e);
      }
    }
  }

  @Test
  void aDataParentThatIsALinkOrOpenToOthersIsRefused() throws Exception {
    Path dir = Files.createTempDirectory("kft-pg-parent-");
    Path made = dir.resolve("made");
    OwnedPaths.prepareParent(made);
    assertEquals("rwx--x--x", PosixFilePermissions.toString(Files.getPosixFilePermissions(made)));
    OwnedPaths.prepareParent(made);
    Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
    Path link = Files.createSymbolicLink(dir.resolve("link"), elsewhere);
    assertTrue(
        assertThrows(IOException.class, () -> OwnedPaths.prepareParent(link))
            .getMessage()
            .contains("is a link"));
    Path open = Files.createDirectory(dir.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertTrue(
        assertThrows(IOException.class, () -> OwnedPaths.prepareParent(open))
            .getMessage()
            .contains("rwxrwxrwx"));
  }

  @Test
  void binariesOthersCouldHaveChangedAreNotRun() throws Exception {
    Path binaries = Files.createTempDirectory("kft-pg-binaries-");
    Path program = Files.createDirectories(binaries.resolve("bin")).resolve("postgres");
    Files.writeString(program, "#!/bin/sh\n");
    OwnedPaths.requireOnlyMine(binaries);
    Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertTrue(
        assertThrows(IOException.class, () -> OwnedPaths.requireOnlyMine(binaries))
            .getMessage()
            .contains(program + " belongs to"));
  }
}
