package dev.kft.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class LocalPostgresTest {

  @Test
  void aServerStartsKeepsItsDataAcrossRestartsAndStops() throws Exception {
    Path data = Files.createTempDirectory("kft-pg-test-").resolve("data");
    data.getParent().toFile().setExecutable(true, false);
    try (LocalPostgres pg = LocalPostgres.start(data, 0, false)) {
      try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), "postgres", "");
          Statement s = c.createStatement()) {
        s.execute("create table t (v text)");
        s.execute("insert into t values ('kept')");
        try (ResultSet r = s.executeQuery("select version()")) {
          assertTrue(r.next());
          assertTrue(r.getString(1).startsWith("PostgreSQL 14"), r.getString(1));
        }
      }
    }
    try (LocalPostgres pg = LocalPostgres.start(data, 0, false);
        Connection c = DriverManager.getConnection(pg.jdbcUrl(), "postgres", "");
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("select v from t")) {
      assertTrue(r.next());
      assertEquals("kept", r.getString(1));
    }
  }
}
