"""The IR package: ``model`` (the typed classes), ``walk`` (the one traversal), ``results`` (what
passes return), ``pointer`` (JSON pointers). ``from specc import ir`` gives the model's names and
the walk as ``ir.walk``."""
from __future__ import annotations

from specc.ir import pointer, walk
from specc.ir.model import (END_NODE, RESOURCE_TYPES, START_NODE, Alias, ApproveGateNode,
                            ArrayNode, Binding, BindingValue, Branch, BranchNode, Collection,
                            Container, EndNode, Entity, Flag, GateNode, Identifier, IfBlock,
                            Interface, Key, LaunchPlan, LaunchPlanNode, MapValue, Node,
                            NodeMetadata, OtherValue, Program, Promise, PromiseValue, Resource,
                            Resources, Retries, Scalar, Secret, SignalGateNode, SleepGateNode,
                            StartNode, Task, TaskMetadata, TaskNode, Type, UnknownNode, Variable,
                            Workflow, WorkflowNode, is_placeholder, value_promises)
from specc.ir.results import (Graph, ResolvedInterface, Resolution, Target, Unchecked,
                              WorkflowGraph)

__all__ = [
    "END_NODE", "RESOURCE_TYPES", "START_NODE", "Alias", "ApproveGateNode", "ArrayNode",
    "Binding", "BindingValue", "Branch", "BranchNode", "Collection", "Container", "EndNode",
    "Entity", "Flag", "GateNode", "Graph", "Identifier", "IfBlock", "Interface", "Key",
    "LaunchPlan", "LaunchPlanNode", "MapValue", "Node", "NodeMetadata", "OtherValue", "Program",
    "Promise", "PromiseValue", "ResolvedInterface", "Resolution", "Resource", "Resources",
    "Retries", "Scalar", "Secret", "SignalGateNode", "SleepGateNode", "StartNode", "Target",
    "Task", "TaskMetadata", "TaskNode", "Type", "Unchecked", "UnknownNode", "Variable",
    "Workflow", "WorkflowGraph", "WorkflowNode", "is_placeholder", "pointer", "value_promises",
    "walk",
]
