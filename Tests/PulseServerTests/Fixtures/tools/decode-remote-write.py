#!/usr/bin/python3
"""Decodes a remote write body (snappy block + protobuf WriteRequest) with Debian's python3-snappy
and python3-protobuf, independently of Pulse's encoder, and prints it as JSON:
{"timeseries": [{"labels": [[name, value], ...], "samples": [[value, timestamp_ms], ...]}]}.

The message types are described here from the remote write 1.0 specification (prometheus/prompb
types.proto, remote.proto), field numbers and types included, and handed to protobuf's own parser.
"""
import json
import sys

import snappy
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

F = descriptor_pb2.FieldDescriptorProto


def build_types():
    file = descriptor_pb2.FileDescriptorProto(name="remote.proto", package="prometheus", syntax="proto3")

    def message(name, fields):
        proto = file.message_type.add(name=name)
        for number, field_name, field_type, type_name, repeated in fields:
            field = proto.field.add(name=field_name, number=number, type=field_type,
                                    label=F.LABEL_REPEATED if repeated else F.LABEL_OPTIONAL)
            if type_name:
                field.type_name = type_name

    message("Label", [(1, "name", F.TYPE_STRING, None, False), (2, "value", F.TYPE_STRING, None, False)])
    message("Sample", [(1, "value", F.TYPE_DOUBLE, None, False), (2, "timestamp", F.TYPE_INT64, None, False)])
    message("TimeSeries", [(1, "labels", F.TYPE_MESSAGE, ".prometheus.Label", True),
                           (2, "samples", F.TYPE_MESSAGE, ".prometheus.Sample", True)])
    message("WriteRequest", [(1, "timeseries", F.TYPE_MESSAGE, ".prometheus.TimeSeries", True)])
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    descriptor = pool.FindMessageTypeByName("prometheus.WriteRequest")
    if hasattr(message_factory, "GetMessageClass"):
        return message_factory.GetMessageClass(descriptor)
    return message_factory.MessageFactory(pool).GetPrototype(descriptor)


def main():
    compressed = open(sys.argv[1], "rb").read()
    raw = snappy.uncompress(compressed)
    request = build_types()()
    request.ParseFromString(raw)
    # A parser keeps fields it does not know; the encoder must write none.
    unknown = len(request.UnknownFields()) if hasattr(request, "UnknownFields") else 0
    out = {
        "rawBytes": len(raw),
        "unknownFields": unknown,
        "timeseries": [
            {"labels": [[label.name, label.value] for label in series.labels],
             "samples": [[sample.value, sample.timestamp] for sample in series.samples]}
            for series in request.timeseries
        ],
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
