package import Persistence

/// The notification deliveries waiting, done, or given up on (see `DeliveryQueue`).
package typealias NotificationQueue = DeliveryQueue<NotificationMessage>
