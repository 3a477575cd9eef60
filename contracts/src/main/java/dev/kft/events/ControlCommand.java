package dev.kft.events;

/** Commands on {@link Topics#CONTROL} that steer a running job. */
public sealed interface ControlCommand extends Event permits StopTraining {}
