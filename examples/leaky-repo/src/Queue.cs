using Azure.Messaging.ServiceBus;

public static class Queue
{
    // Full control of the namespace: Manage, Send and Listen.
    const string Connection = "Endpoint=sb://contoso-bus.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=Gsk5NgcUKUdT9m7zYK0eNBkRFznxAZV1WVwgTYKrHiA=";

    public static ServiceBusClient Client() => new ServiceBusClient(Connection);
}
