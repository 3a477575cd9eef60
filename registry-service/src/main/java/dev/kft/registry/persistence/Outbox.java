package dev.kft.registry.persistence;

import static dev.kft.registry.persistence.ModelRepository.update;
import static dev.kft.registry.persistence.Sql.bind;

import dev.kft.events.EventSerializer;
import dev.kft.events.ModelEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The registry's transactional outbox: every fact for {@code kft.models} is written in the same
 * PostgreSQL transaction as the change it announces, read back in order by the relay, and deleted
 * once published. One registry instance at a time relays, the holder of a session advisory lock.
 */
@ApplicationScoped
public class Outbox {

  /** One fact waiting to be published; {@code seq} orders them. */
  public record Entry(long seq, String topic, String key, byte[] payload) {}

  /** The advisory lock key of the relay ("kftoutbx" in ASCII). */
  private static final long RELAY_LOCK = 0x6b66746f75746278L;

  /** The advisory lock key writers take in turn ("kftoutbw"). */
  private static final long WRITE_LOCK = 0x6b66746f75746277L;

  private static final EventSerializer SERIALIZER = new EventSerializer();

  private final DataSource db;

  public Outbox(DataSource db) {
    this.db = db;
  }

  /**
   * Adds {@code event} within the caller's transaction, keyed by {@link ModelEvent#recordKey()}.
   * Writers take turns (a transaction-scoped lock), so entries become visible in the order of their
   * sequence numbers: what the relay has seen is always everything up to a number, never a set with
   * holes filled later.
   */
  static void add(Connection connection, String topic, ModelEvent event) throws SQLException {
    try (PreparedStatement lock = connection.prepareStatement("select pg_advisory_xact_lock(?)")) {
      bind(lock, WRITE_LOCK);
      lock.executeQuery().close();
    }
    update(
        connection,
        "insert into outbox (topic, event_key, payload, created_at) values (?, ?, ?, ?)",
        topic,
        event.recordKey(),
        SERIALIZER.serialize(topic, event),
        Instant.now());
  }

  /** The oldest {@code limit} entries, in order. */
  public List<Entry> pending(int limit) throws SQLException {
    List<Entry> entries = new ArrayList<>();
    try (Connection connection = db.getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                "select seq, topic, event_key, payload from outbox order by seq limit ?")) {
      bind(statement, limit);
      try (ResultSet row = statement.executeQuery()) {
        while (row.next()) {
          entries.add(
              new Entry(row.getLong(1), row.getString(2), row.getString(3), row.getBytes(4)));
        }
      }
    }
    return entries;
  }

  /** Forgets every entry up to and including {@code seq}: they are on their topics. */
  public void published(long seq) throws SQLException {
    try (Connection connection = db.getConnection()) {
      update(connection, "delete from outbox where seq <= ?", seq);
    }
  }

  /** How many entries wait to be published. */
  public long size() throws SQLException {
    try (Connection connection = db.getConnection();
        PreparedStatement statement = connection.prepareStatement("select count(*) from outbox");
        ResultSet row = statement.executeQuery()) {
      row.next();
      return row.getLong(1);
    }
  }

  /**
   * Takes the relay's lock on a connection of its own, held until that connection closes (or the
   * session dies with this instance); empty when another instance holds it.
   */
  public Optional<Connection> lead() throws SQLException {
    Connection connection = db.getConnection();
    try (PreparedStatement statement =
        connection.prepareStatement("select pg_try_advisory_lock(?)")) {
      bind(statement, RELAY_LOCK);
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        if (row.getBoolean(1)) {
          return Optional.of(connection);
        }
      }
    }
    connection.close();
    return Optional.empty();
  }
}
